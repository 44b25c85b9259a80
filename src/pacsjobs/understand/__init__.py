"""Understanding a posting: is it a PACS role, what it asks for and offers, how it fits a profile.

``vocabulary`` (skills.toml) finds skills, systems and certifications; ``classify`` and
``requirements`` judge the role and what it asks for; ``conditions`` finds on-call, travel and the
like; ``match`` scores a posting against a profile (pay placed with ``pacsjobs.pay``); ``dedupe``
links cross-source duplicates; ``process`` turns a source's raw posting into the stored record.
Nothing is imported here, so importing one module never loads the others.
"""
