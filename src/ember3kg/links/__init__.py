"""Links to external vocabularies: the SSSOM mapping set and its check against external releases."""
