"""Accounts: users, email confirmation, password reset, API tokens and login throttling."""
