namespace Lab01.RtmpHandshake;

