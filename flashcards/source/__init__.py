"""From source files to checked decks: find them (``files``), read them (``yaml_reader``: plain values and
where each was written), check their shape against the format (``format``, ``shape``) and then what they
mean (``validate``, ``entries``, ``texts``, ``cloze``), which gives the ``model``."""
