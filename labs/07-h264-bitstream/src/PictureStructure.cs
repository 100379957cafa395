namespace Lab07.H264Bitstream;

/// <summary>What a picture covers (§3: frame, field, complementary field pair; §7.4.3 field_pic_flag, bottom_field_flag).</summary>
public enum PictureStructure
{
    /// <summary>A frame picture (field_pic_flag 0): both fields coded together, in frame or (MBAFF) field macroblock pairs.</summary>
    Frame,

    /// <summary>A top field picture (field_pic_flag 1, bottom_field_flag 0): the frame's even lines; or a top field left without its pair.</summary>
    TopField,

    /// <summary>A bottom field picture (field_pic_flag 1, bottom_field_flag 1): the frame's odd lines; or a bottom field left without its pair.</summary>
    BottomField,

    /// <summary>A complementary field pair (§3): two field pictures of opposite parity, one after the other, shown as one frame.</summary>
    FieldPair,
}
