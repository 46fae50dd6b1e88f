"""`python -m federage` runs the console command."""

from federage.cli import main

main()
