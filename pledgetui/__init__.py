"""pledgetui: a ledger of security-guarantee claims for Ukraine, and a terminal dashboard over it."""

__version__ = "0.2.0"
