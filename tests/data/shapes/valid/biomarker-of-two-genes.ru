# Passing neighbour of invalid/biomarker-of-two-genes.ru: the same data, edited so that no rule fires.
DELETE WHERE { kg:biomarker-esr1-mutation ekg:biomarkerOfGene ?old } ;
INSERT DATA { kg:biomarker-esr1-mutation ekg:biomarkerOfGene kg:gene-pgr }
