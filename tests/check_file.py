"""Validate catalogue files against the schema by hand: python -m tests.check_file FILE..."""

import sys
from pathlib import Path

from thresholds.catalogue_files import CatalogueFileError, read_catalogue_file

status = 0
for arg in sys.argv[1:]:
    try:
        cat = read_catalogue_file(Path(arg))
    except CatalogueFileError as exc:
        print(exc)
        status = 1
    else:
        print(f"{arg}: valid ({len(cat.indicators)} indicators)")
sys.exit(status)
