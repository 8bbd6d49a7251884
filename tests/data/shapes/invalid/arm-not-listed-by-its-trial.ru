# An arm its trial does not list (its size then misses from the total too).
# expect: Violation ekgsh:ArmInItsTrialShape kg:ember3-arm-imlunestrant-abemaciclib
# expect: Violation ekgsh:ArmSizesAddUpShape kg:ember3
DELETE DATA { kg:ember3 ekg:hasArm kg:ember3-arm-imlunestrant-abemaciclib }
