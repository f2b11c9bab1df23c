"""Evaluations of litmine's stages against the shared development corpora."""
