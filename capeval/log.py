import logging

logger = logging.getLogger("capeval")
