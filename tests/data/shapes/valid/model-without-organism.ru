# Passing neighbour of invalid/model-without-organism.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:model-er-positive-brain-orthotopic-mouse ekg:derivedFromCellLine kg:cell-line-mcf7 .
}
