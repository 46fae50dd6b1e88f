"""Privacy (GDPR): a person's data export, their erasure, and the register of processing."""
