# A mechanism of action that acts on no gene.
# expect: Violation ekgsh:MechanismOfActionShape kg:mechanism-aromatase-inhibition
DELETE WHERE { kg:mechanism-aromatase-inhibition ekg:actsOnGene ?old }
