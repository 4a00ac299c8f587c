"""PolicyPad: real-time collaborative editing for the HTML editor you already have."""

__version__ = "0.1.0"
