"""placeholder"""
def read_docx(data, name, decisions, notes=None):
    raise NotImplementedError
