"""The commons' legal vehicle: its société-en-participation contract, versions, acceptances, and title certificates."""
