"""Object-detection building blocks: boxes, anchors, YOLO v1 targets and loss, VOC XML, sample scenes."""
