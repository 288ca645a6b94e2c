"""Case dossiers (PDF and HTML) and petitions/submissions filled from a case.

A dossier is built once as plain data (aigaq.dossier.data) and drawn twice: as HTML by a Django
template and as PDF by fpdf2 (aigaq.dossier.pdf). External dossiers (the default) take every
value from the publication policy (aigaq.publish.policy); internal ones read the record for the
group's own case work, still without restricted witness fields unless the user may see them.
"""
