"""Resources: the register of what each commons holds, their use, and the levies that use owes."""
