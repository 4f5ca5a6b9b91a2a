"""Pure SinoPac QPay crypto: HashID, IV, Sign and AES message encryption.

Section numbers refer to shared/refs/sinopac-qpay.md.
"""
import hashlib
import hmac
import json

from Crypto.Cipher import AES
from Crypto.Util.Padding import pad, unpad


def _xor_hex(left: str, right: str) -> str:
    left_bytes, right_bytes = bytes.fromhex(left), bytes.fromhex(right)
    if len(left_bytes) != 8 or len(right_bytes) != 8:
        raise ValueError("hash keys must be 16 hex characters")
    # §2: bytes.hex() keeps two digits per byte; hex(int) would drop leading zeros.
    return bytes(a ^ b for a, b in zip(left_bytes, right_bytes)).hex().upper()


def hash_id(a1: str, a2: str, b1: str, b2: str) -> str:
    """Return the 32-character HashID (AES key) from the shop's four keys (§2)."""
    return _xor_hex(a1, a2) + _xor_hex(b1, b2)


def iv_from_nonce(nonce: str) -> bytes:
    """Return the 16-byte IV: last 16 chars of the uppercase SHA-256 hex of the nonce (§3)."""
    digest = hashlib.sha256(nonce.encode("utf-8")).hexdigest().upper()
    return digest[-16:].encode("ascii")


def _is_signed(value) -> bool:
    # §4 steps 2-3: nested objects/lists and blank values are never signed.
    if value is None or isinstance(value, (dict, list)):
        return False
    return str(value).strip() != ""


def sign_string(fields: dict) -> str:
    """Return the `k=v&…` text that Sign hashes, before nonce and HashID (§4)."""
    signed = [(key, value) for key, value in fields.items() if _is_signed(value)]
    # §4 step 5: C# OrdinalIgnoreCase compares the upper-cased names.
    signed.sort(key=lambda item: item[0].upper())
    return "&".join(f"{key}={value}" for key, value in signed)


def sign(fields: dict, nonce: str, hash_id: str) -> str:
    """Return the uppercase SHA-256 Sign of a business object (§4)."""
    text = sign_string(fields) + nonce + hash_id
    return hashlib.sha256(text.encode("utf-8")).hexdigest().upper()


def verify(fields: dict, nonce: str, hash_id: str, signature: str) -> bool:
    """Tell whether `signature` is the Sign of `fields` (§9; case-insensitive, constant time)."""
    expected = sign(fields, nonce, hash_id)
    return hmac.compare_digest(expected, str(signature).upper())


def encrypt(plaintext: str, hash_id: str, nonce: str) -> str:
    """Encrypt a UTF-8 message with AES-256-CBC/PKCS#7, return uppercase hex (§5)."""
    cipher = AES.new(hash_id.encode("ascii"), AES.MODE_CBC, iv_from_nonce(nonce))
    return cipher.encrypt(pad(plaintext.encode("utf-8"), AES.block_size)).hex().upper()


def decrypt(message_hex: str, hash_id: str, nonce: str) -> str:
    """Decrypt a hex Message back to text; raises ValueError if it is not ours (§5)."""
    cipher = AES.new(hash_id.encode("ascii"), AES.MODE_CBC, iv_from_nonce(nonce))
    data = bytes.fromhex(message_hex)
    return unpad(cipher.decrypt(data), AES.block_size).decode("utf-8")


def dumps(obj) -> str:
    """Serialise like the bank: compact JSON, raw UTF-8, unescaped slashes (§5)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
