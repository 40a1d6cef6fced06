"""What a chapter notebook uses: its context, figure display and the method appendix.

:func:`open_chapter` (in :mod:`context`) is the first call of every notebook;
:mod:`display` shows figures with captions and alt text written from data;
:mod:`method` and :mod:`teamreport` build the method appendix and team tables.
"""
