"""Benchmarks of the bot: they print numbers, they assert nothing. Run from the repository root:
`python -m benchmarks [core|slack]` (or `madoguchi bench`)."""
