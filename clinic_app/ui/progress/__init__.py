"""The Progress view: a patient's series of signed visits, its chart and its report."""
