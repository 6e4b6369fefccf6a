"""On-demand transport (transport à la demande): ride requests, vehicles and planned tours.

The planning engine lives in `maillage.transport.darp` and does not depend on Django, so the
same code plans the tours from ride requests and solves the literature's benchmark instances.
"""
