"""`python -m trygg` is the `trygg` command, for machines where pip's script folder is not on PATH."""

import sys

from trygg.cli import main

sys.exit(main())
