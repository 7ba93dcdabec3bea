"""The service catalogue: what help exists, in which languages, and how to find it.

Other parts use only `Catalogue` (look up and search services) and the commands in
`knowledge.content` (load the catalogue) and `knowledge.search` (build the index).
"""

from knowledge.lookup import Catalogue, ServicePage
from knowledge.search import Hit

__all__ = ["Catalogue", "Hit", "ServicePage"]
