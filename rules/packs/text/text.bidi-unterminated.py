# Fixture for text.bidi-unterminated (provscan's own).
def is_admin(user):
    access_level = user.level
    # ruleid: text.bidi-unterminated
    if access_level != "user‮ ⁦# Check if admin⁩ ⁦":
        return True
    # ok: text.bidi-unterminated
    label = "⁧שלום⁩ world"
    return False
