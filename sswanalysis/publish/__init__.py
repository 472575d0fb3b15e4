"""Publishing for planners: the HTML report (:mod:`~sswanalysis.publish.html`), the Excel
workbook (:mod:`~sswanalysis.publish.workbook`), and the notebook runner they share
(:mod:`~sswanalysis.publish.notebooks`, also used by ``make notebooks``); and JupyterLab on
the notebooks for researchers (:mod:`~sswanalysis.publish.jupyter_lab`, ``sswanalysis lab``).
"""
