# Fixture for text.homoglyph-identifier (provscan's own).
def check(user, password):
    # ruleid: text.homoglyph-identifier
    раssword = "letmein"
    # ok: text.homoglyph-identifier
    timeout_us = 250  # 250 μs
    # ok: text.homoglyph-identifier
    # Проверка пароля
    return password == user.password
