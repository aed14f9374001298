"""`flashcards import`: a study sheet, in any of the shapes people write, becomes a source file.

The stages, one module each: ``files`` reads the bytes and picks the format (``decoding`` for text,
``pipes`` for Markdown and plain text, ``delimited`` for CSV, TSV and spreadsheets, ``html_tables`` for
HTML) into a ``document`` of text lines and tables; ``columns`` and ``tables`` turn tables into
concepts, and ``captions`` finds the heading above each; ``items`` and ``questions`` find the questions
and answers; ``linking`` pairs them and links each answer to a concept; ``sheet`` puts it together;
``language`` and ``ids`` name it; ``draft`` makes the source and checks that it builds; ``importing``
writes it where no other deck is.
"""
