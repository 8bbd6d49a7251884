# Passing neighbour of invalid/location-cites-a-gene.ru: the location cites a document.
INSERT DATA {
    kg:loc-lilly-figure-3 ekg:locationCites kg:jhaveri-2025-nejm .
}
