# Passing neighbour of invalid/compared-population-not-restricted-to-compared-arms.ru: the same data, edited so that no rule fires.
# The population keeps the two compared arms and loses nothing else: a restriction to exactly those arms passes.
DELETE WHERE { kg:ember3-pop-concurrently-randomized ekg:restrictedToArm ?arm } ;
INSERT DATA { kg:ember3-pop-concurrently-randomized ekg:restrictedToArm kg:ember3-arm-imlunestrant-abemaciclib , kg:ember3-arm-imlunestrant }
