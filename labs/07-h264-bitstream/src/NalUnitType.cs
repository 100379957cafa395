namespace Lab07.H264Bitstream;

/// <summary>nal_unit_type, the low 5 bits of the NAL unit header (ITU-T H.264 Table 7-1).</summary>
public enum NalUnitType
{
    /// <summary>0: unspecified.</summary>
    Unspecified = 0,
    /// <summary>1: coded slice of a non-IDR picture (P, B, or an I that is not an IDR).</summary>
    Slice = 1,
    /// <summary>2: coded slice data partition A.</summary>
    SliceDataPartitionA = 2,
    /// <summary>3: coded slice data partition B.</summary>
    SliceDataPartitionB = 3,
    /// <summary>4: coded slice data partition C.</summary>
    SliceDataPartitionC = 4,
    /// <summary>5: coded slice of an IDR picture (instantaneous decoding refresh).</summary>
    IdrSlice = 5,
    /// <summary>6: supplemental enhancement information.</summary>
    Sei = 6,
    /// <summary>7: sequence parameter set.</summary>
    Sps = 7,
    /// <summary>8: picture parameter set.</summary>
    Pps = 8,
    /// <summary>9: access unit delimiter.</summary>
    AccessUnitDelimiter = 9,
    /// <summary>10: end of sequence.</summary>
    EndOfSequence = 10,
    /// <summary>11: end of stream.</summary>
    EndOfStream = 11,
    /// <summary>12: filler data.</summary>
    FillerData = 12,
    /// <summary>13: sequence parameter set extension.</summary>
    SpsExtension = 13,
    /// <summary>14: prefix NAL unit (SVC/MVC).</summary>
    PrefixNal = 14,
    /// <summary>15: subset sequence parameter set (SVC/MVC).</summary>
    SubsetSps = 15,
    /// <summary>16: depth parameter set.</summary>
    DepthParameterSet = 16,
    /// <summary>19: coded slice of an auxiliary coded picture without partitioning.</summary>
    AuxiliarySlice = 19,
    /// <summary>20: coded slice extension (SVC/MVC).</summary>
    SliceExtension = 20,
    /// <summary>21: coded slice extension for a depth view component.</summary>
    SliceExtensionDepth = 21,
}
