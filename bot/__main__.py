"""`python -m bot …` behaves exactly like `madoguchi …`."""

import sys

from bot.cli import main

sys.exit(main())
