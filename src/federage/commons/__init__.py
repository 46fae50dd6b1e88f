"""Commons: the shared resources, their tree, members with roles and invitations."""
