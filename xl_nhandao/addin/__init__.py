"""The Excel add-in: a "Nhân đạo" ribbon tab in desktop Excel (SPEC §6).

The ribbon's one VBA callback runs ``xl_nhandao.addin.dispatch.main(tag)`` through
xlwings' ``RunPython``; :mod:`.dispatch` maps the button's tag to a handler in
:mod:`.handlers`, which acts on the active workbook through the live workbook interface
(:mod:`.book`) and the public API (``import xl_nhandao as nd``). Nothing here is
imported by the rest of the package, and this module imports nothing: a click starts a
new Python process, and it must answer fast.
"""
