"""flashcards: turn structured study notes into bilingual Anki decks."""

__version__ = "0.1.0"
