"""The IRI bases policykg mints under, written once (no imports, so every layer reads them cheaply).

>>> ID_BASE, ONTOLOGY_NS
('https://w3id.org/policykg/id/', 'https://w3id.org/policykg/ontology#')
"""

#: Base of every instance IRI (documents, measures, entities, named graphs …).
ID_BASE = "https://w3id.org/policykg/id/"
#: The ontology's IRI and its term namespace (``pkg:``).
ONTOLOGY_IRI = "https://w3id.org/policykg/ontology"
ONTOLOGY_NS = ONTOLOGY_IRI + "#"
