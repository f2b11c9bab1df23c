"""litmine: mine the biomedical literature for drug-resistance evidence."""

__version__ = "0.1.0"
