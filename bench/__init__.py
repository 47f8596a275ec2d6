"""`make bench`: the study loop through the real API against a bare-Django floor.

Run it with `python -m bench` (see `python -m bench --help`). Everything here is benchmark-only:
its settings and URLs are never part of the production configuration.
"""
