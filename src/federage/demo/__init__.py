"""Demo data: fictional but realistic commons, agents and users, written through the services."""
