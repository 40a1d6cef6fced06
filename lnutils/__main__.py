import sys

from lnutils.cli import main

sys.exit(main())
