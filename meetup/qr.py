"""QR codes (segno) as data: URIs, for posters and the door's check-in sheet."""

import segno


def data_uri(text: str, scale: int = 10) -> str:
    """An SVG of the code, with the quiet zone scanners need around it."""
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=4)
