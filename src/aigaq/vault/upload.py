"""Streaming uploads: each uploaded file goes straight into a vault temp object, hashed as it
arrives, so memory stays flat whatever the file's size and nothing is copied twice."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from aigaq.vault.receive import Receiver
from aigaq.vault.storage import get_storage


class ReceivedFile(UploadedFile):
    """What the view gets: the name the browser sent (Django strips path parts) and the
    receiver holding the hashed, not yet committed bytes."""

    def __init__(self, receiver: Receiver, name: str, content_type: str | None) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=receiver.size)
        self.receiver = receiver

    def discard(self) -> None:
        self.receiver.abort()


class VaultUploadHandler(FileUploadHandler):
    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.receiver: Receiver | None = None
        self.limit = getattr(settings, "AIGAQ_MAX_UPLOAD", 20 * 1024**3)
        self.received: list[ReceivedFile] = []

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        # SHA-512 as the bytes arrive: the network is the bottleneck here, so it costs no time.
        self.receiver = Receiver(get_storage().create_temp(), sha512=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        assert self.receiver is not None
        if start + len(raw_data) > self.limit:
            self.upload_interrupted()
            raise StopUpload(connection_reset=True)
        self.receiver.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> ReceivedFile:
        assert self.receiver is not None
        self.receiver.finish()
        received = ReceivedFile(self.receiver, self.file_name or "", self.content_type)
        self.received.append(received)
        self.receiver = None
        return received

    def upload_interrupted(self) -> None:
        if self.receiver is not None:
            self.receiver.abort()
            self.receiver = None
