namespace Lab07.H264Bitstream;

/// <summary>
/// The analyser: NAL units → parameter sets, SEI and slice headers → pictures (access units) with
/// their picture order count → frames (field pairs paired) → display order and GOPs. A bad NAL unit is reported in
/// <see cref="StreamReport.Errors"/> and the analysis goes on with the next one.
/// </summary>
public static class StreamAnalyzer
{
    /// <summary>Analyses an Annex B byte stream.</summary>
    public static StreamReport Analyze(ReadOnlyMemory<byte> stream)
    {
        var report = new StreamReport();
        List<AnnexBNalUnit> units;
        try
        {
            units = AnnexB.Split(stream);
        }
        catch (H264FormatException e)
        {
            report.Errors.Add(e);
            return report;
        }

        #region lab M5: for each NAL: parse what it is (SPS, PPS, SEI, slice) and catch H264FormatException into report.Errors (WithNalIndex) and go on; start a new access unit at an AUD/SPS/PPS/SEI after a slice or at the first slice of a new picture (§7.4.1.2.3–4); build each PictureInfo (frame or field, type, IDR, key frame = IDR or I + recovery point, top/bottom field POC by §8.2.1, size = bytes from the AU's first start code to the next AU's); then the frames (a frame picture, or two fields of opposite parity and the same frame_num paired), display order (frames by POC within each IDR period) and GOPs (a GOP starts at each key frame) — README §Access units, §POC, §Field pictures, §GOP
        int auStart = 0; // index of the first NAL unit of the current access unit
        bool auHasVcl = false, recoveryPointInAu = false;
        SliceHeader? previous = null;
        var pending = new List<(SliceHeader Header, int Index, SequenceParameterSet Sps, PictureParameterSet Pps)>();
        var poc = new PocCounter();

        void FlushPicture(int endNal)
        {
            if (pending.Count == 0)
            {
                return;
            }

            int size = 0;
            for (int n = auStart; n < endNal; n++)
            {
                size += units[n].StartCodeLength + units[n].Bytes.Length;
            }

            var (first, _, sps, pps) = pending[0];
            char type = pending.Any(s => s.Header.SliceType == SliceType.B) ? 'B' : pending.Any(s => s.Header.SliceType is SliceType.P or SliceType.SP) ? 'P' : 'I';
            int refIdc = pending.Max(s => s.Header.NalHeader.NalRefIdc);
            var (top, bottom, period) = poc.Next(first, sps, refIdc);
            report.Pictures.Add(new PictureInfo
            {
                DecodeIndex = report.Pictures.Count, Type = type, IsIdr = first.IsIdr, IsKeyFrame = first.IsIdr || (type == 'I' && recoveryPointInAu),
                Structure = !first.FieldPic ? PictureStructure.Frame : first.BottomField ? PictureStructure.BottomField : PictureStructure.TopField,
                TopFieldOrderCnt = top, BottomFieldOrderCnt = bottom, PicOrderCnt = Math.Min(top ?? int.MaxValue, bottom ?? int.MaxValue),
                NalRefIdc = refIdc, FrameNum = first.FrameNum, PocPeriod = period, Slices = pending.Count, Size = size,
                Qp = first.SliceQp(pps),
            });
            pending.Clear();
            auStart = endNal;
            auHasVcl = false;
            recoveryPointInAu = false;
        }

        for (int i = 0; i < units.Count; i++)
        {
            var nal = units[i].Bytes.Span;
            try
            {
                if (nal.IsEmpty)
                {
                    throw new H264FormatException("An empty NAL unit: a start code followed at once by another", i, units[i].Offset * 8);
                }

                var header = NalUnitHeader.Parse(nal[0]);
                report.Nals.Add((i, header.Type, header.NalRefIdc, nal.Length));
                bool startsAu = header.Type is NalUnitType.AccessUnitDelimiter or NalUnitType.Sps or NalUnitType.Pps or NalUnitType.Sei
                    or (>= NalUnitType.PrefixNal and <= (NalUnitType)18);
                if (startsAu && auHasVcl)
                {
                    FlushPicture(i); // §7.4.1.2.3: these come before the first VCL NAL unit of an access unit
                }

                switch (header.Type)
                {
                    case NalUnitType.Sps:
                        var sps = SequenceParameterSet.Parse(nal, i);
                        report.SequenceParameterSets[sps.SeqParameterSetId] = sps;
                        break;
                    case NalUnitType.Pps:
                        var pps = PictureParameterSet.Parse(nal, report.SequenceParameterSets, i);
                        report.PictureParameterSets[pps.PicParameterSetId] = pps;
                        break;
                    case NalUnitType.Sei:
                        foreach (var message in SeiMessage.ParseAll(nal, i))
                        {
                            report.SeiMessages.Add((i, message));
                            recoveryPointInAu |= message.PayloadType == SeiMessage.RecoveryPointType;
                        }

                        break;
                    case NalUnitType.Slice or NalUnitType.IdrSlice:
                        var slice = SliceHeader.Parse(nal, report.SequenceParameterSets, report.PictureParameterSets, i);
                        var slicePps = report.PictureParameterSets[slice.PicParameterSetId];
                        var sliceSps = report.SequenceParameterSets[slicePps.SeqParameterSetId];
                        if (previous is not null && auHasVcl && IsFirstSliceOfNewPicture(previous, slice, sliceSps))
                        {
                            FlushPicture(i);
                        }

                        pending.Add((slice, i, sliceSps, slicePps));
                        previous = slice;
                        auHasVcl = true;
                        break;
                }
            }
            catch (H264FormatException e)
            {
                report.Errors.Add(e.WithNalIndex(i));
            }
        }

        FlushPicture(units.Count);

        // Frames: a frame picture is one; a field picture and the next one, of the other parity and the same frame_num,
        // the second no IDR, both reference fields or neither, are a complementary field pair (§3); a field without one stands alone.
        var frameOf = new int[report.Pictures.Count];
        for (int i = 0; i < report.Pictures.Count; i++)
        {
            var picture = report.Pictures[i];
            frameOf[i] = report.Frames.Count;
            if (i + 1 < report.Pictures.Count && IsSecondFieldOf(picture, report.Pictures[i + 1]))
            {
                frameOf[++i] = report.Frames.Count;
                report.Frames.Add(FieldPair(picture, report.Pictures[i], report.Frames.Count));
            }
            else
            {
                report.Frames.Add(picture with { DecodeIndex = report.Frames.Count });
            }
        }

        // Display order: frames by POC within each IDR period, periods in decode order (§8.2.1). OrderBy is stable: ties keep decode order.
        int display = 0;
        foreach (var frame in report.Frames.OrderBy(p => p.PocPeriod).ThenBy(p => p.PicOrderCnt))
        {
            frame.DisplayIndex = display++;
        }

        for (int i = 0; i < report.Pictures.Count; i++)
        {
            report.Pictures[i].DisplayIndex = report.Frames[frameOf[i]].DisplayIndex;
        }

        // GOPs: from each key frame to the next, in decode order.
        var keys = report.Frames.Where(p => p.IsKeyFrame).Select(p => p.DecodeIndex).ToList();
        for (int k = 0; k < keys.Count; k++)
        {
            int start = keys[k], end = k + 1 < keys.Count ? keys[k + 1] : report.Frames.Count;
            var key = report.Frames[start];
            bool leading = report.Frames.Skip(start + 1).Take(end - start - 1).Any(p => p.PocPeriod == key.PocPeriod && p.PicOrderCnt < key.PicOrderCnt);
            report.Gops.Add(new GopInfo(start, end - start, key.IsIdr, key.IsIdr || !leading));
        }

        return report;
        #endregion
    }

    #region lab-remove
    /// <summary>
    /// §3 (complementary reference / non-reference field pair): <paramref name="second"/> completes <paramref name="first"/>
    /// when both are fields of opposite parity with the same frame_num, the second is no IDR, and both are reference fields or neither is.
    /// </summary>
    private static bool IsSecondFieldOf(PictureInfo first, PictureInfo second)
    {
        return first.Structure is PictureStructure.TopField or PictureStructure.BottomField
            && second.Structure is PictureStructure.TopField or PictureStructure.BottomField
            && first.Structure != second.Structure
            && first.FrameNum == second.FrameNum
            && !second.IsIdr
            && (first.NalRefIdc == 0) == (second.NalRefIdc == 0);
    }

    /// <summary>The frame two fields make: the first field's type, IDR-ness and key frame; POC = Min(top, bottom) (§8.2.1); sizes and slices added up.</summary>
    private static PictureInfo FieldPair(PictureInfo first, PictureInfo second, int decodeIndex)
    {
        var (topField, bottomField) = first.Structure == PictureStructure.TopField ? (first, second) : (second, first);
        int top = topField.TopFieldOrderCnt!.Value, bottom = bottomField.BottomFieldOrderCnt!.Value;
        return first with
        {
            DecodeIndex = decodeIndex, Structure = PictureStructure.FieldPair, TopFieldOrderCnt = top, BottomFieldOrderCnt = bottom,
            PicOrderCnt = Math.Min(top, bottom), NalRefIdc = Math.Max(first.NalRefIdc, second.NalRefIdc),
            Slices = first.Slices + second.Slices, Size = first.Size + second.Size,
        };
    }

    /// <summary>§7.4.1.2.4: does this slice start a new primary picture?</summary>
    private static bool IsFirstSliceOfNewPicture(SliceHeader a, SliceHeader b, SequenceParameterSet sps)
    {
        return a.FrameNum != b.FrameNum
            || a.PicParameterSetId != b.PicParameterSetId
            || a.FieldPic != b.FieldPic
            || (a.FieldPic && a.BottomField != b.BottomField)
            || (a.NalHeader.NalRefIdc != b.NalHeader.NalRefIdc && (a.NalHeader.NalRefIdc == 0 || b.NalHeader.NalRefIdc == 0))
            || (sps.PicOrderCntType == 0 && (a.PicOrderCntLsb != b.PicOrderCntLsb || a.DeltaPicOrderCntBottom != b.DeltaPicOrderCntBottom))
            || (sps.PicOrderCntType == 1 && (a.DeltaPicOrderCnt0 != b.DeltaPicOrderCnt0 || a.DeltaPicOrderCnt1 != b.DeltaPicOrderCnt1))
            || a.IsIdr != b.IsIdr
            || (a.IsIdr && b.IsIdr && a.IdrPicId != b.IdrPicId);
    }

    /// <summary>Picture order count (§8.2.1.1–8.2.1.3): TopFieldOrderCnt and BottomFieldOrderCnt of a frame, the one of a field.</summary>
    private sealed class PocCounter
    {
        private int _prevPocMsb, _prevPocLsb, _prevFrameNumOffset, _prevFrameNum, _period = -1;

        public (int? Top, int? Bottom, int Period) Next(SliceHeader slice, SequenceParameterSet sps, int nalRefIdc)
        {
            if (slice.IsIdr || _period < 0)
            {
                _period++;
                _prevPocMsb = _prevPocLsb = _prevFrameNumOffset = 0;
                _prevFrameNum = 0;
            }

            int top, bottom;
            bool mmco5 = slice.MemoryManagementControlOperations.Contains(5);
            switch (sps.PicOrderCntType)
            {
                case 0:
                {
                    int max = sps.MaxPicOrderCntLsb, lsb = slice.PicOrderCntLsb, msb;
                    if (lsb < _prevPocLsb && _prevPocLsb - lsb >= max / 2)
                    {
                        msb = _prevPocMsb + max;       // Eq. 8-3: the LSBs wrapped forwards
                    }
                    else if (lsb > _prevPocLsb && lsb - _prevPocLsb > max / 2)
                    {
                        msb = _prevPocMsb - max;       // wrapped backwards
                    }
                    else
                    {
                        msb = _prevPocMsb;
                    }

                    top = msb + lsb;                   // Eq. 8-4; a bottom field's is msb + lsb too (Eq. 8-5),
                    bottom = top + slice.DeltaPicOrderCntBottom; // and a field slice has no delta_pic_order_cnt_bottom
                    if (nalRefIdc != 0)
                    {
                        (_prevPocMsb, _prevPocLsb) = (msb, lsb);
                    }

                    break;
                }

                default:
                {
                    int offset = slice.IsIdr ? 0 : _prevFrameNum > slice.FrameNum ? _prevFrameNumOffset + sps.MaxFrameNum : _prevFrameNumOffset; // Eq. 8-6 / 8-11
                    if (sps.PicOrderCntType == 2)
                    {
                        top = bottom = slice.IsIdr ? 0 : nalRefIdc == 0 ? 2 * (offset + slice.FrameNum) - 1 : 2 * (offset + slice.FrameNum); // Eq. 8-12, 8-13
                    }
                    else
                    {
                        (top, bottom) = PocType1(slice, sps, nalRefIdc, offset);
                    }

                    _prevFrameNumOffset = offset;
                    _prevFrameNum = slice.FrameNum;
                    break;
                }
            }

            // A field has only its own count.
            int? topOrNull = slice.FieldPic && slice.BottomField ? null : top, bottomOrNull = slice.FieldPic && !slice.BottomField ? null : bottom;
            if (mmco5)
            {
                _period++; // POCs restart after MMCO 5 (§8.2.1): keep display order within periods
                _prevPocMsb = 0;
                _prevPocLsb = 0;
                _prevFrameNumOffset = 0;
                _prevFrameNum = 0;
                return (topOrNull, bottomOrNull, _period - 1);
            }

            return (topOrNull, bottomOrNull, _period);
        }

        private static (int Top, int Bottom) PocType1(SliceHeader slice, SequenceParameterSet sps, int nalRefIdc, int offset)
        {
            int cycleLength = sps.OffsetForRefFrame.Count;
            int absFrameNum = cycleLength != 0 ? offset + slice.FrameNum : 0; // Eq. 8-7
            if (nalRefIdc == 0 && absFrameNum > 0)
            {
                absFrameNum--;
            }

            int expected = 0;
            if (absFrameNum > 0)
            {
                int expectedDelta = sps.OffsetForRefFrame.Sum();
                int cycleCount = (absFrameNum - 1) / cycleLength, inCycle = (absFrameNum - 1) % cycleLength;
                expected = cycleCount * expectedDelta;
                for (int i = 0; i <= inCycle; i++)
                {
                    expected += sps.OffsetForRefFrame[i];
                }
            }

            if (nalRefIdc == 0)
            {
                expected += sps.OffsetForNonRefPic;
            }

            int top = expected + slice.DeltaPicOrderCnt0;                                 // §8.2.1.2: a frame's, or a top field's
            int bottom = top + sps.OffsetForTopToBottomField + slice.DeltaPicOrderCnt1;    // a field slice has no delta_pic_order_cnt[1]:
            return (top, bottom);                                                          // then this is a bottom field's
        }
    }
    #endregion
}
