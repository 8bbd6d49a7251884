"""Packaged data of ember3kg (a package so that an editable install finds it in the checkout)."""
