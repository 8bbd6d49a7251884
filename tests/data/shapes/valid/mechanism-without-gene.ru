# Passing neighbour of invalid/mechanism-without-gene.ru: the same data, edited so that no rule fires.
INSERT DATA {
    kg:mechanism-aromatase-inhibition ekg:actsOnGene kg:gene-esr1 .
}
