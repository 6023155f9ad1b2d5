"""clinic_app: desktop charting for trigger point injections and dry needling."""

__version__ = "0.1.0"
