# Passing neighbour of invalid/location-in-other-document.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:gene-cdk6 ekg:statedIn kg:loc-lilly-figure-1 .
    kg:gene-cdk6 prov:wasDerivedFrom kg:lilly-faq-iml003 .
}
