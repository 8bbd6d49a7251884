# Passing neighbour of invalid/provenance-unknown-document.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:drug-abemaciclib prov:wasDerivedFrom kg:lilly-faq-iml003 .
}
