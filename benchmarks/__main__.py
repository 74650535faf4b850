"""`python -m benchmarks [core|slack] [options]`: the same as `madoguchi bench`."""

import sys

from bot.cli import main

raise SystemExit(main(["bench", *sys.argv[1:]]))
