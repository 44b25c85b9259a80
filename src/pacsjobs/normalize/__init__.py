"""Pure normalizers: salary, location, dates, employment type / workplace, description HTML.

Import the submodules directly (``from pacsjobs.normalize.salary import normalize_salary``); this
package imports nothing itself so that importing it stays cheap.
"""
