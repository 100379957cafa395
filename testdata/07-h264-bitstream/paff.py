"""Makes paff.h264, a field-coded (PAFF) H.264 stream, straight from ITU-T H.264, and paff.yuv, the frames a decoder
must give back. No encoder on the project's machines writes field pictures (libx264 codes interlace as MBAFF only),
so this writes them itself: every field is I_PCM macroblocks (the samples as they are, §7.3.5) or all skipped (a P
field whose one skip run covers the picture). Independent of the lab's code: it is the oracle's side.

The picture: 48x64 (3 x 4 macroblocks a frame). With frame_mbs_only_flag 0 and no MBAFF, a map unit is a macroblock
of a field (§7.4.2.1.1): pic_height_in_map_units_minus1 = 1, FrameHeightInMbs = (2 - frame_mbs_only_flag) x 2 = 4,
and a field picture is 3 x 2 macroblocks (PicSizeInMbs = 6, §7.4.3). The top field is the frame's even rows (luma
and chroma), the bottom field its odd rows.

Decode order (POC type 0, a pic_order_cnt_lsb per field; field slices carry no delta_pic_order_cnt_bottom even
though the PPS sets bottom_field_pic_order_in_frame_present_flag, §7.3.3):
  frame A, top field first:    IDR top (frame_num 0, idr_pic_id 0, lsb 0) + non-IDR I bottom (frame_num 0, lsb 1)
  frame A again:               P top + P bottom, all skipped, nal_ref_idc 2, frame_num 1, lsb 4 / 5
  frame A again:               P top + P bottom, all skipped, nal_ref_idc 0 (not reference), frame_num 2, lsb 8 / 9
  frame B, bottom field first: IDR bottom (frame_num 0, idr_pic_id 1, lsb 0) + non-IDR I top (frame_num 0, lsb 1)
  frame B again:               P bottom + P top, all skipped, nal_ref_idc 2, frame_num 1, lsb 4 / 5
  frame C, bottom field first: non-IDR I bottom + P top (all skipped), nal_ref_idc 1, frame_num 2, lsb 8 / 9: an I
                               field and a P field in one frame, no recovery point
A skipped P macroblock copies the co-located samples of RefPicList0[0] (P_Skip, motion vector 0: §8.4.1.1), which for
a field is the latest reference field of the same parity (§8.2.4.2.5), so each P field pair repeats the frame before, and frame C shows C's bottom field with B's top field.
"""
import os


class Bits:
    """An RBSP writer: u(n), ue(v), se(v), MSB first (§7.2, §9.1)."""

    def __init__(self):
        self.bits = []

    def u(self, n, value):
        assert 0 <= value < (1 << n)
        self.bits += [(value >> (n - 1 - i)) & 1 for i in range(n)]

    def ue(self, value):
        code = value + 1
        n = code.bit_length() - 1
        self.u(n, 0) if n else None
        self.u(n + 1, code)

    def se(self, value):
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align_zero(self):
        while len(self.bits) % 8:
            self.bits.append(0)

    def bytes(self, data):
        assert len(self.bits) % 8 == 0
        for b in data:
            self.u(8, b)

    def trailing(self):  # rbsp_trailing_bits(): a 1, then 0s to the byte boundary (§7.3.2.11)
        self.bits.append(1)
        self.align_zero()

    def rbsp(self):
        assert len(self.bits) % 8 == 0
        return bytes(int("".join(map(str, self.bits[i:i + 8])), 2) for i in range(0, len(self.bits), 8))


def nal(ref_idc, unit_type, rbsp):
    """NAL header (§7.3.1) + the RBSP with emulation prevention (§7.4.1), after a 4-byte start code (Annex B)."""
    out = bytearray([ref_idc << 5 | unit_type])
    zeros = 0
    for b in rbsp:
        if zeros >= 2 and b <= 3:
            out.append(3)
            zeros = 0
        out.append(b)
        zeros = zeros + 1 if b == 0 else 0
    return b"\0\0\0\1" + bytes(out)


W_MBS, FIELD_H_MBS = 3, 2          # 48 x 64 frames: 3 x 2 macroblocks a field
WIDTH, HEIGHT = 16 * W_MBS, 32 * FIELD_H_MBS
LOG2_MAX_FRAME_NUM, LOG2_MAX_POC_LSB = 4, 6


def sps():
    b = Bits()
    b.u(8, 77)                      # profile_idc: Main (Baseline forbids field coding, A.2.1)
    b.u(8, 0b01000000)              # constraint_set1_flag (Main), the others 0, reserved_zero_2bits
    b.u(8, 30)                      # level_idc 3.0 (levels 2.1-4.1 allow frame_mbs_only_flag 0, Table A-4)
    b.ue(0)                         # seq_parameter_set_id
    b.ue(LOG2_MAX_FRAME_NUM - 4)    # log2_max_frame_num_minus4
    b.ue(0)                         # pic_order_cnt_type 0
    b.ue(LOG2_MAX_POC_LSB - 4)      # log2_max_pic_order_cnt_lsb_minus4
    b.ue(2)                         # max_num_ref_frames: two frames (a field pair each) stay in the sliding window
    b.u(1, 0)                       # gaps_in_frame_num_value_allowed_flag
    b.ue(W_MBS - 1)                 # pic_width_in_mbs_minus1
    b.ue(FIELD_H_MBS - 1)           # pic_height_in_map_units_minus1: map units are field macroblock rows
    b.u(1, 0)                       # frame_mbs_only_flag 0: field pictures allowed
    b.u(1, 0)                       # mb_adaptive_frame_field_flag 0: no MBAFF, so field pictures (PAFF) or plain frames
    b.u(1, 1)                       # direct_8x8_inference_flag (must be 1 when frame_mbs_only_flag is 0)
    b.u(1, 0)                       # frame_cropping_flag
    b.u(1, 1)                       # vui_parameters_present_flag
    b.u(1, 1); b.u(8, 1)            # aspect_ratio_info_present_flag, aspect_ratio_idc 1: square samples (Table E-1)
    b.u(1, 0); b.u(1, 0); b.u(1, 0)  # overscan, video_signal_type, chroma_loc: absent
    b.u(1, 1)                       # timing_info_present_flag
    b.u(32, 1); b.u(32, 50)         # num_units_in_tick, time_scale: 50 fields, 25 frames a second (time_scale / (2 x num_units_in_tick), E.2.1)
    b.u(1, 1)                       # fixed_frame_rate_flag
    b.u(1, 0); b.u(1, 0)            # nal_hrd, vcl_hrd: absent
    b.u(1, 0)                       # pic_struct_present_flag
    b.u(1, 0)                       # bitstream_restriction_flag
    b.trailing()
    return nal(3, 7, b.rbsp())


def pps():
    b = Bits()
    b.ue(0); b.ue(0)                # pic_parameter_set_id, seq_parameter_set_id
    b.u(1, 0)                       # entropy_coding_mode_flag: CAVLC (mb_type and mb_skip_run are ue(v))
    b.u(1, 1)                       # bottom_field_pic_order_in_frame_present_flag (frames only: fields never send it)
    b.ue(0)                         # num_slice_groups_minus1
    b.ue(0); b.ue(0)                # num_ref_idx_l0/l1_default_active_minus1
    b.u(1, 0); b.u(2, 0)            # weighted_pred_flag, weighted_bipred_idc
    b.se(0); b.se(0); b.se(0)       # pic_init_qp_minus26, pic_init_qs_minus26, chroma_qp_index_offset
    b.u(1, 1)                       # deblocking_filter_control_present_flag: slices switch the loop filter off
    b.u(1, 0); b.u(1, 0)            # constrained_intra_pred_flag, redundant_pic_cnt_present_flag
    b.trailing()
    return nal(3, 8, b.rbsp())


def field_slice(kind, ref_idc, idr_pic_id, frame_num, bottom, poc_lsb, field=None):
    """One slice covering one field: kind 'I' (every macroblock I_PCM, samples from `field`) or 'P' (all skipped)."""
    b = Bits()
    b.ue(0)                                     # first_mb_in_slice
    b.ue(7 if kind == "I" else 5)               # slice_type: I or P, the same for every slice of the picture
    b.ue(0)                                     # pic_parameter_set_id
    b.u(LOG2_MAX_FRAME_NUM, frame_num)          # frame_num
    b.u(1, 1)                                   # field_pic_flag
    b.u(1, 1 if bottom else 0)                  # bottom_field_flag
    if idr_pic_id is not None:
        b.ue(idr_pic_id)                        # idr_pic_id
    b.u(LOG2_MAX_POC_LSB, poc_lsb)              # pic_order_cnt_lsb (no delta_pic_order_cnt_bottom: field_pic_flag is 1)
    if kind == "P":
        b.u(1, 0)                               # num_ref_idx_active_override_flag
        b.u(1, 0)                               # ref_pic_list_modification_flag_l0
    if ref_idc:
        if idr_pic_id is not None:
            b.u(1, 0); b.u(1, 0)                # no_output_of_prior_pics_flag, long_term_reference_flag
        else:
            b.u(1, 0)                           # adaptive_ref_pic_marking_mode_flag: sliding window
    b.se(0)                                     # slice_qp_delta
    b.ue(1)                                     # disable_deblocking_filter_idc 1: no loop filter
    if kind == "P":
        b.ue(W_MBS * FIELD_H_MBS)               # mb_skip_run = PicSizeInMbs; then more_rbsp_data() is false
    else:
        y, u, v = field
        for mb_y in range(FIELD_H_MBS):
            for mb_x in range(W_MBS):
                b.ue(25)                        # mb_type I_PCM (Table 7-11)
                b.align_zero()                  # pcm_alignment_zero_bit
                for plane, size in ((y, 16), (u, 8), (v, 8)):
                    w = len(plane[0])
                    for r in range(size):
                        row = plane[mb_y * size + r]
                        b.bytes(row[mb_x * size:mb_x * size + size])
    b.trailing()
    return nal(ref_idc, 5 if idr_pic_id is not None else 1, b.rbsp())


def frame(seed):
    """A 48x64 yuv420p frame: planes of rows. Odd and even rows differ, so a wrong weave shows; frame B is dark and
    full of 00 00 0x runs (emulation prevention in the PCM samples)."""
    def plane(w, h, f):
        return [[f(x, r) & 0xFF for x in range(w)] for r in range(h)]
    if seed == 1:
        return (plane(WIDTH, HEIGHT, lambda x, r: 0 if (x // 4 + r) % 3 else r),
                plane(WIDTH // 2, HEIGHT // 2, lambda x, r: 0 if x % 5 else 1),
                plane(WIDTH // 2, HEIGHT // 2, lambda x, r: 3 * (r % 2)))
    return (plane(WIDTH, HEIGHT, lambda x, r: 16 + 3 * x + 2 * r + (100 if r % 2 else 0) + 37 * seed),
            plane(WIDTH // 2, HEIGHT // 2, lambda x, r: 128 + 4 * x - 3 * r + 11 * seed),
            plane(WIDTH // 2, HEIGHT // 2, lambda x, r: 64 + 7 * r + (50 if r % 2 else 0) + x + 5 * seed))


def field_of(f, bottom):
    return tuple(p[1 if bottom else 0::2] for p in f)


def raw(f):
    return b"".join(bytes(row) for p in f for row in p)


def main():
    a, b_, c = frame(0), frame(1), frame(2)
    out = [sps(), pps()]
    out += [field_slice("I", 3, 0, 0, False, 0, field_of(a, False)),    # IDR first field (top)
            field_slice("I", 3, None, 0, True, 1, field_of(a, True)),   # second field: non-IDR I, same frame_num
            field_slice("P", 2, None, 1, False, 4), field_slice("P", 2, None, 1, True, 5),
            field_slice("P", 0, None, 2, False, 8), field_slice("P", 0, None, 2, True, 9),
            field_slice("I", 3, 1, 0, True, 0, field_of(b_, True)),     # IDR first field (bottom): bottom field first
            field_slice("I", 3, None, 0, False, 1, field_of(b_, False)),
            field_slice("P", 2, None, 1, True, 4), field_slice("P", 2, None, 1, False, 5),
            field_slice("I", 1, None, 2, True, 8, field_of(c, True)),   # an I field and a P field in one frame
            field_slice("P", 1, None, 2, False, 9)]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "paff.h264"), "wb") as f:
        f.write(b"".join(out))
    with open(os.path.join(here, "paff.yuv"), "wb") as f:       # the frames in display order, fields woven
        c_shown = tuple([c[i][r] if r % 2 else b_[i][r] for r in range(len(c[i]))] for i in range(3))  # odd rows: bottom field
        f.write(raw(a) * 3 + raw(b_) * 2 + raw(c_shown))


main()
