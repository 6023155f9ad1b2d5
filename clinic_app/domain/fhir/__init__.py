"""The FHIR R4 export, as plain values: the codes it writes (:mod:`.codes`) and the Bundle
built from signed encounters (:mod:`.bundle`, :mod:`.resources`). Pure standard library:
dicts ready for ``json.dumps``; the service gathers the data and the tests validate the
result with a FHIR model library."""
